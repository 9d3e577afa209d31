// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve attach / detach */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/stat.h>

#include "cli.h"

struct attach_opts {
	int mode; /* enum fs_attach_mode */
	bool force;
};

static int do_attach(const void *opts, char **args)
{
	const struct attach_opts *o = opts;
	FS_OPTS(fs_attach_opts, aopts, .mode = o->mode, .flags = o->force ? FS_ATTACH_F_FORCE : 0);
	FS_OPTS(fs_attach_info, info);
	const char *ifname = args[0];
	int err;

	err = fs_attach(ifname, &aopts, &info);
	if (err == -EEXIST)
		return cli_error("%s: feedsieve is already attached (detach it first)", ifname);
	if (err == -EBUSY && info.foreign[0])
		return cli_error("%s: another XDP program (%s, id %u) is attached and cannot be shared "
				 "(no libxdp dispatcher): 'feedsieve attach %s --force' replaces it",
				 ifname, info.foreign, info.foreign_id, ifname);
	if (err == -EPROTO)
		return cli_error("%s: the maps pinned under %s/%s come from another feedsieve build: "
				 "'feedsieve attach %s --force' replaces them (groups and "
				 "subscriptions are lost)",
				 ifname, FS_PIN_ROOT, ifname, ifname);
	if (err == -ENODEV || err == -EPERM || err == -EACCES || err == -EXDEV)
		return cli_iface_error(ifname, err);
	if (err)
		return cli_error("%s: cannot attach in %s mode: %s%s", ifname, fs_attach_mode_str(o->mode),
				 strerror(-err), " (run with -vv for libbpf's details)");
	printf("%s: attached in %s mode%s%s, maps pinned under %s/%s%s%s\n", ifname,
	       fs_attach_mode_str(info.mode),
	       info.device_bound ? " (device-bound: NIC RX timestamps where the driver has them)"
				 : "",
	       info.shared ? " next to the other XDP programs (libxdp dispatcher)" : "", FS_PIN_ROOT,
	       ifname,
	       info.reused_pins ? " (reused from an earlier attachment: groups and subscriptions "
				  "kept)"
	       : info.replaced_pins ? " (pins of another build replaced)"
				    : "",
	       info.replaced_foreign ? "; replaced the XDP program that was attached" : "");
	return 0;
}

#define F(field) CLI_FIELD(struct attach_opts, field)
const struct cli_cmd cli_cmd_attach = {
	.name = "attach",
	.args = "IFNAME",
	.opts = (const struct cli_opt[]){
		{.name = "mode", .metavar = "native|skb", .parse = cli_parse_enum, F(mode),
		 .min = FS_MODE_NATIVE, .help = "attach in this mode (default: native, else skb)"},
		{.name = "force", F(force),
		 .help = "replace another tool's lone XDP program or another build's pins"},
		{},
	},
	.opts_size = sizeof(struct attach_opts),
	.run = do_attach,
	.help = "Load the XDP program on IFNAME and pin its maps.",
};
#undef F

/* Has IFNAME a pin directory (whether or not the interface still exists)? */
static bool pins_exist(const char *ifname)
{
	char dir[sizeof(FS_PIN_ROOT) + IF_NAMESIZE + 1];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", FS_PIN_ROOT, ifname);
	return strlen(ifname) < IF_NAMESIZE && strchr(ifname, '/') == NULL && !stat(dir, &st);
}

static int do_detach(const void *opts, char **args)
{
	const char *ifname = args[0];
	bool had_pins;
	int err;

	(void)opts;
	had_pins = pins_exist(ifname);
	err = fs_detach(ifname);
	if (err == -ENODEV && had_pins && !pins_exist(ifname)) {
		printf("%s: no such interface; removed the pins it left under %s/%s\n", ifname,
		       FS_PIN_ROOT, ifname);
		return 0;
	}
	if (err)
		return cli_iface_error(ifname, err);
	printf("%s: detached\n", ifname);
	return 0;
}

const struct cli_cmd cli_cmd_detach = {
	.name = "detach",
	.args = "IFNAME",
	.run = do_detach,
	.help = "Remove the XDP program and its pins from IFNAME.",
};
