// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* feedsieve attach / detach */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int do_attach(int argc, char **argv)
{
	static const struct option opts[] = {{"mode", required_argument, NULL, 'm'}, {}};
	enum fs_attach_mode mode = FS_MODE_AUTO;
	struct fs_attach_info info;
	const char *ifname;
	int opt, err;

	optind = 0; /* GNU getopt: full re-initialisation */
	while ((opt = cli_getopt(argc, argv, "attach", opts)) != -1) {
		if (opt != 'm')
			return EXIT_USAGE;
		if (!strcmp(optarg, "native"))
			mode = FS_MODE_NATIVE;
		else if (!strcmp(optarg, "skb"))
			mode = FS_MODE_SKB;
		else
			return cli_usage_error("attach: --mode must be 'native' or 'skb', not '%s'",
					       optarg);
	}
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve attach IFNAME [--mode native|skb]");
	ifname = argv[optind];

	err = fs_attach(ifname, mode, &info);
	if (err == -EEXIST)
		return cli_error("%s: feedsieve is already attached (detach it first)", ifname);
	if (err == -ENODEV || err == -EPERM || err == -EACCES || err == -EXDEV)
		return cli_iface_error(ifname, err);
	if (err)
		return cli_error("%s: cannot attach in %s mode: %s%s", ifname, fs_mode_str(mode),
				 strerror(-err), " (run with -vv for libbpf's details)");
	printf("%s: attached in %s mode%s, maps pinned under %s/%s\n", ifname,
	       fs_mode_str(info.mode),
	       info.device_bound ? " (device-bound: NIC RX timestamps where the driver has them)"
				 : "",
	       FS_PIN_ROOT, ifname);
	return 0;
}

int do_detach(int argc, char **argv)
{
	static const struct option opts[] = {{}};
	const char *ifname;
	int err;

	optind = 0; /* GNU getopt: full re-initialisation */
	if (cli_getopt(argc, argv, "detach", opts) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage_error("usage: feedsieve detach IFNAME");
	ifname = argv[optind];
	err = fs_detach(ifname);
	if (err)
		return cli_iface_error(ifname, err);
	printf("%s: detached\n", ifname);
	return 0;
}
