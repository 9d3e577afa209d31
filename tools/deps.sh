#!/usr/bin/env bash
# Install the Debian packages feedsieve needs to build and test, and only those missing.
set -euo pipefail

packages=(
	make gcc libc6-dev pkg-config        # user-space build
	clang llvm                           # BPF target
	libbpf-dev libxdp-dev libelf-dev zlib1g-dev
	bpftool xdp-tools                    # skeletons, map dumps, xdp-loader
	libcriterion-dev                     # unit tests
	iproute2 util-linux python3          # netns tests (ip, nsenter) and their checker
	gnuplot-nox                          # make bench: plots
	cppcheck clang-tidy                  # make lint
	libclang-rt-14-dev                   # make fuzz: libFuzzer (clang -fsanitize=fuzzer)
	man-db groff-base                    # test_install.sh: man -l and groff -ww on feedsieve.8
	libpcap-dev                          # feedsieve replay and feedgen: pcap/pcapng via libpcap
	tshark                               # test_wire_decoder.sh: an independent decoder of feedgen's pcap
	prometheus prometheus-node-exporter  # promtool check metrics; a real scrape in test_prometheus.sh
	tshark                               # dumpcap (test_replay_ab.sh), the independent decoder of docs/wire
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]} (run 'make deps' as root)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
