// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve attach / detach */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/stat.h>

#include "cli.h"

int do_attach(int argc, char **argv)
{
	static const struct option opts[] = {{"mode", required_argument, NULL, 'm'},
					     {"force", no_argument, NULL, 'f'},
					     {}};
	FS_OPTS(fs_attach_opts, aopts);
	FS_OPTS(fs_attach_info, info);
	const char *ifname;
	int opt, err;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "attach", opts)) != -1) {
		if (opt == 'f') {
			aopts.flags |= FS_ATTACH_F_FORCE;
			continue;
		}
		if (opt != 'm')
			return EXIT_USAGE;
		if (!strcmp(optarg, "native"))
			aopts.mode = FS_MODE_NATIVE;
		else if (!strcmp(optarg, "skb"))
			aopts.mode = FS_MODE_SKB;
		else
			return cli_usage_error("attach: --mode must be 'native' or 'skb', not '%s'",
					       optarg);
	}
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve attach IFNAME [--mode native|skb] [--force]");
	ifname = argv[optind];

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
		return cli_error("%s: cannot attach in %s mode: %s%s", ifname, fs_mode_str(aopts.mode),
				 strerror(-err), " (run with -vv for libbpf's details)");
	printf("%s: attached in %s mode%s%s, maps pinned under %s/%s%s%s\n", ifname,
	       fs_mode_str(info.mode),
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

/* Has IFNAME a pin directory (whether or not the interface still exists)? */
static bool pins_exist(const char *ifname)
{
	char dir[sizeof(FS_PIN_ROOT) + IF_NAMESIZE + 1];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", FS_PIN_ROOT, ifname);
	return strlen(ifname) < IF_NAMESIZE && strchr(ifname, '/') == NULL && !stat(dir, &st);
}

int do_detach(int argc, char **argv)
{
	static const struct option opts[] = {{}};
	const char *ifname;
	bool had_pins;
	int err;

	optind = 0; /* GNU getopt: full re-initialisation */
	if (cli_getopt(argc, argv, "detach", opts) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve detach IFNAME");
	ifname = argv[optind];
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
