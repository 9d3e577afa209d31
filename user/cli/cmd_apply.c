// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve apply CONFIG [--dry-run] | show IFNAME */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct fs_config *cli_load_config(const char *cmd, const char *path)
{
	char err[FS_ERR_LEN];
	struct fs_config *cfg = NULL;
	bool is_stdin = !strcmp(path, "-");
	FILE *in = is_stdin ? stdin : fopen(path, "r");
	int rc;

	if (!in) {
		cli_usage_error("%s: cannot read %s: %s", cmd, path, strerror(errno));
		return NULL;
	}
	rc = fs_config__parse(in, is_stdin ? "<stdin>" : path, &cfg, err);
	if (!is_stdin)
		fclose(in);
	if (rc) {
		cli_usage_error("%s", err);
		return NULL;
	}
	return cfg;
}

/* Open the interface of CFG, attaching it first when it is not attached (unless DRY_RUN:
 * then *IFACE stays NULL). Returns an exit code. */
static int open_or_attach(const struct fs_config *cfg, bool dry_run, struct fs_iface **iface)
{
	const char *ifname = fs_config__ifname(cfg);
	FS_OPTS(fs_attach_opts, aopts, .mode = fs_config__mode(cfg));
	FS_OPTS(fs_attach_info, info);
	int err = fs_iface__open(ifname, iface);

	if (err == -ENOENT && dry_run) {
		printf("%s: not attached: apply would attach it in %s mode\n", ifname,
		       fs_attach_mode_str(fs_config__mode(cfg)));
		*iface = NULL;
		return 0;
	}
	if (err == -ENOENT) {
		err = fs_attach(ifname, &aopts, &info);
		if (err && err != -EEXIST) /* EEXIST: another apply attached it meanwhile */
			return err == -ENODEV || err == -EPERM || err == -EACCES || err == -EXDEV
				   ? cli_iface_error(ifname, err)
				   : cli_error("%s: cannot attach in %s mode: %s", ifname,
					       fs_attach_mode_str(fs_config__mode(cfg)), strerror(-err));
		if (!err)
			printf("%s: attached in %s mode\n", ifname, fs_attach_mode_str(info.mode));
		err = fs_iface__open(ifname, iface);
	}
	return err ? cli_iface_error(ifname, err) : 0;
}

struct apply_opts {
	bool dry_run;
};

static int do_apply(const void *opts, char **args)
{
	bool dry_run = ((const struct apply_opts *)opts)->dry_run;
	struct fs_config *want, *live = NULL, *empty = NULL;
	struct fs_iface *iface = NULL;
	const char *ifname;
	int rc, changes, err = 0;

	want = cli_load_config("apply", args[0]);
	if (!want)
		return EXIT_USAGE;
	if (!fs_config__ifname(want)[0]) {
		cli_usage_error("%s: no 'interface' line: which interface does it configure?",
				strcmp(args[0], "-") ? args[0] : "<stdin>");
		fs_config__free(want);
		return EXIT_USAGE;
	}
	ifname = fs_config__ifname(want);
	rc = open_or_attach(want, dry_run, &iface);
	if (rc)
		goto out;

	/* Hold the lock from reading the live state to the commit: the difference printed is the
	 * one applied, whatever other invocations do. */
	if (iface)
		err = fs_iface__lock(iface);
	if (!err)
		err = iface ? fs_config__read(iface, &live)
			    : ((empty = fs_config__new()) ? 0 : -ENOMEM);
	if (err) {
		rc = cli_iface_error(ifname, err);
		goto out;
	}
	if (empty)
		fs_config__set_ifname(empty, ifname);
	changes = fs_config__print_diff(live ? live : empty, want, stdout);
	if (changes < 0) {
		rc = cli_error("%s: out of memory", ifname);
		goto out;
	}
	if (dry_run || !iface || !changes)
		goto out;
	fflush(stdout);
	err = fs_config__commit(iface, want);
	if (err == -ENOSPC)
		rc = cli_error(
		    "%s: the live configuration and the new one together need more than "
		    "%d group ids or %d subscription slots: apply it in two steps; nothing "
		    "changed",
		    ifname, FS_MAX_GROUPS, FS_MAX_SUBS);
	else if (err)
		rc = cli_error("%s: cannot apply: %s; the previous configuration stays live",
			       ifname, strerror(-err));
	else
		printf("%s: configuration %llu live\n", ifname,
		       (unsigned long long)fs_iface__commits(iface));
out:
	if (iface)
		fs_iface__unlock(iface);
	fs_iface__close(iface);
	fs_config__free(want);
	fs_config__free(live);
	fs_config__free(empty);
	return rc;
}

const struct cli_cmd cli_cmd_apply = {
	.name = "apply",
	.args = "CONFIG",
	.opts = (const struct cli_opt[]){
		{.name = "dry-run", CLI_FIELD(struct apply_opts, dry_run),
		 .help = "print the difference and change nothing, not even attach"},
		{},
	},
	.opts_size = sizeof(struct apply_opts),
	.run = do_apply,
	.help = "Make the live state what CONFIG ('-': standard input) describes, atomically.",
};

static int do_show(const void *opts, char **args)
{
	struct fs_config *cfg = NULL;
	struct fs_iface *iface;
	int err;

	(void)opts;
	iface = cli_open_iface(args[0]);
	if (!iface)
		return EXIT_FAILURE;
	err = fs_config__read(iface, &cfg);
	if (!err)
		err = fs_config__print(cfg, stdout);
	fs_config__free(cfg);
	fs_iface__close(iface);
	return err ? cli_iface_error(args[0], err) : 0;
}

const struct cli_cmd cli_cmd_show = {
	.name = "show",
	.args = "IFNAME",
	.run = do_show,
	.help = "Print the live state of IFNAME as a configuration file.",
};
