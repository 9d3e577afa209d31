# Installation; included by the top-level Makefile.
#
#   make install    [PREFIX=/usr/local] [DESTDIR=staging dir]: the CLI, libfeedsieve (static and
#                   shared), its headers and pkg-config file, the XDP object, the man page, bash
#                   completion, an example systemd unit and configuration
#   make uninstall  the same PREFIX and DESTDIR: removes exactly those files
#
# The shared library is built from its own -fPIC objects in $(BUILD)/pic; the static archive and
# the CLI keep the non-PIC objects. Nothing is installed into /etc: the unit and the example
# configuration go to $(UNITDIR) and $(DOCDIR) for the administrator to adapt.

PREFIX       ?= /usr/local
SBINDIR      ?= $(PREFIX)/sbin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
DOCDIR       ?= $(DATADIR)/doc/feedsieve
BASHCOMPDIR  ?= $(DATADIR)/bash-completion/completions
UNITDIR      ?= $(PREFIX)/lib/systemd/system
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BPFOBJDIR    ?= $(PREFIX)/lib/feedsieve
INSTALL      ?= install

# One version, the CLI's (--version): the shared library is libfeedsieve.so.$(FS_VERSION). Its
# soname changes whenever the interface breaks (docs/library.md): from 1.0 on it carries the major
# number; before 1.0 any minor release may break it, so the soname carries major.minor.
FS_VERSION  := $(shell sed -n 's/^\#define FEEDSIEVE_VERSION "\(.*\)"/\1/p' user/cli/main.c)
FS_VERPARTS := $(subst ., ,$(FS_VERSION))
FS_SOMAJOR  := $(if $(filter 0,$(word 1,$(FS_VERPARTS))),0.$(word 2,$(FS_VERPARTS)),$(word 1,$(FS_VERPARTS)))
SONAME      := libfeedsieve.so.$(FS_SOMAJOR)
SHLIB       := $(BUILD)/libfeedsieve.so.$(FS_VERSION)
# The exported functions and their version nodes, checked in (tests/integration/test_symbols.sh).
SHLIB_MAP   := user/lib/libfeedsieve.map
# What an application includes: feedsieve.h and the shared headers it pulls in (limits.h: array
# sizes; maps.h: keys, values, counters and metadata in the API's structs, with types.h and
# seqwin.h that it includes; symbol.h; the wire layouts wire_itch.h and wire_mdp3.h). Not parse.h: the packet parsing helpers
# of the XDP program and the frame decoder, no part of the API.
PUBLIC_HDRS := $(addprefix include/feedsieve/,limits.h maps.h seqwin.h symbol.h types.h wire_itch.h wire_mdp3.h)
PC_FILE     := $(BUILD)/libfeedsieve.pc
UNIT_FILE   := $(BUILD)/feedsieve@.service
MAN_FILE    := $(BUILD)/feedsieve.8
PIC_OBJS    := $(patsubst %.c,$(BUILD)/pic/%.o,$(LIB_SRCS))

$(BUILD)/pic/user/lib/%.o: user/lib/%.c | $(SKEL)
	$(call msg,CC-PIC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(USER_CFLAGS) -fPIC -c $< -o $@

# --no-undefined and --as-needed: the library records exactly the libraries it uses.
$(SHLIB): $(PIC_OBJS) $(SHLIB_MAP)
	$(if $(FS_VERSION),,$(error no '#define FEEDSIEVE_VERSION "X.Y.Z"' in user/cli/main.c))
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(SHLIB_MAP) \
		-Wl,--no-undefined -Wl,--as-needed -o $@ $(PIC_OBJS) $(LIBS)

# The directories are written into the .pc file, the unit and the man page: this stamp changes
# (and they are regenerated) whenever one of them does.
INSTALL_DIRS := $(BUILD)/install-dirs
INSTALL_DIRS_NOW := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(SBINDIR) $(BPFOBJDIR) $(DOCDIR) $(FS_VERSION)
$(INSTALL_DIRS): FORCE
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(INSTALL_DIRS_NOW)' | cmp -s - $@ || echo '$(INSTALL_DIRS_NOW)' > $@

# A directory under PREFIX is written as ${prefix}/..., as pkg-config's users expect.
pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
$(PC_FILE): packaging/libfeedsieve.pc.in $(INSTALL_DIRS)
	$(call msg,GEN,$@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call pc_rel,$(LIBDIR))|g' \
		-e 's|@INCLUDEDIR@|$(call pc_rel,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(FS_VERSION)|g' $< > $@

# The unit in packaging/ names the binary where a distribution package puts it (/usr/sbin).
$(UNIT_FILE): packaging/feedsieve@.service $(INSTALL_DIRS)
	$(call msg,GEN,$@)
	$(Q)sed -e 's|/usr/sbin/feedsieve|$(SBINDIR)/feedsieve|g' \
		-e 's|/usr/share/doc/feedsieve|$(DOCDIR)|g' $< > $@

# So are the paths in the man page's FILES section.
$(MAN_FILE): packaging/feedsieve.8 $(INSTALL_DIRS)
	$(call msg,GEN,$@)
	$(Q)sed -e 's|/usr/lib/feedsieve/|$(BPFOBJDIR)/|g' -e 's|/usr/share/doc/feedsieve/|$(DOCDIR)/|g' \
		$< > $@

# A real install (no DESTDIR) as root refreshes ld.so's cache, so the new soname is found.
LDCONFIG_NOW = if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

.PHONY: install uninstall shlib FORCE
FORCE:
shlib: $(SHLIB) $(PC_FILE)

install: $(CLI) $(BPF_OBJ) $(LIB) $(SHLIB) $(PC_FILE) $(UNIT_FILE) $(MAN_FILE)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BPFOBJDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR)/feedsieve $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	$(Q)$(INSTALL) -m 0755 $(CLI) $(DESTDIR)$(SBINDIR)/feedsieve
	$(Q)$(INSTALL) -m 0644 $(BPF_OBJ) $(DESTDIR)$(BPFOBJDIR)/feedsieve.bpf.o
	$(Q)$(INSTALL) -m 0644 $(LIB) $(DESTDIR)$(LIBDIR)/libfeedsieve.a
	$(Q)$(INSTALL) -m 0755 $(SHLIB) $(DESTDIR)$(LIBDIR)/libfeedsieve.so.$(FS_VERSION)
	$(Q)ln -sf libfeedsieve.so.$(FS_VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(Q)ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libfeedsieve.so
	$(Q)$(INSTALL) -m 0644 $(PC_FILE) $(DESTDIR)$(PKGCONFIGDIR)/libfeedsieve.pc
	$(Q)$(INSTALL) -m 0644 user/lib/feedsieve.h $(DESTDIR)$(INCLUDEDIR)/feedsieve.h
	$(Q)$(INSTALL) -m 0644 $(PUBLIC_HDRS) $(DESTDIR)$(INCLUDEDIR)/feedsieve/
	$(Q)$(INSTALL) -m 0644 $(MAN_FILE) $(DESTDIR)$(MANDIR)/man8/feedsieve.8
	$(Q)$(INSTALL) -m 0644 packaging/feedsieve.bash-completion $(DESTDIR)$(BASHCOMPDIR)/feedsieve
	$(Q)$(INSTALL) -m 0644 $(UNIT_FILE) $(DESTDIR)$(UNITDIR)/feedsieve@.service
	$(Q)$(INSTALL) -m 0644 packaging/example.conf $(DESTDIR)$(DOCDIR)/example.conf
	$(Q)$(LDCONFIG_NOW)

# Removes the files install wrote, and the directories only feedsieve uses once they are empty.
uninstall:
	$(call msg,UNINST,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/feedsieve $(DESTDIR)$(BPFOBJDIR)/feedsieve.bpf.o \
		$(DESTDIR)$(LIBDIR)/libfeedsieve.a $(DESTDIR)$(LIBDIR)/libfeedsieve.so \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libfeedsieve.so.$(FS_VERSION) \
		$(DESTDIR)$(PKGCONFIGDIR)/libfeedsieve.pc $(DESTDIR)$(INCLUDEDIR)/feedsieve.h \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/feedsieve/,$(notdir $(PUBLIC_HDRS))) \
		$(DESTDIR)$(MANDIR)/man8/feedsieve.8 $(DESTDIR)$(BASHCOMPDIR)/feedsieve \
		$(DESTDIR)$(UNITDIR)/feedsieve@.service $(DESTDIR)$(DOCDIR)/example.conf
	$(Q)for d in $(DESTDIR)$(BPFOBJDIR) $(DESTDIR)$(INCLUDEDIR)/feedsieve $(DESTDIR)$(DOCDIR); do \
		if [ -d $$d ]; then rmdir --ignore-fail-on-non-empty $$d; fi; \
	done
	$(Q)$(LDCONFIG_NOW)

-include $(PIC_OBJS:.o=.d)

# make lint also checks the example application (clang-tidy; it is not in cppcheck's directories).
LINT_SRCS += examples/print_messages/main.c
