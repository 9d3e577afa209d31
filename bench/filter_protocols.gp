# Plot of bench/out/filter_cost_protocols.tsv (written by filter_cost --tsv); run by
# 'make bench-filter':
#   gnuplot -e "data='bench/out/filter_cost_protocols.tsv'; out='bench/out/filter_protocols.png'" \
#       bench/filter_protocols.gp
# Data block i = path * 2 + matched (path 0 first, 1 duplicate); columns: keys per frame, then
# ns per key of ITCH, MDP3, NYSE, PITCH, each with 1 and with 65 536 subscriptions (NaN: not
# measured). Same colour per protocol; solid: 1 subscription, dashed: 65 536.
set terminal pngcairo size 1100,800 font "sans,9"
set output out
set multiplot layout 2,2 title "feedsieve\\_xdp, ns per key by protocol (BPF\\_PROG\\_TEST\\_RUN, medians)"
set logscale xy 2
set xtics (1, 4, 16, 64)
set xrange [0.8:80]
set yrange [1:512]
set xlabel "keys per frame (messages; MDP3: book entries)"
set ylabel "ns per key"
set key top right font ",8"
set grid
titles = "first/not-matched first/matched duplicate/not-matched duplicate/matched"
protos = "ITCH MDP3 NYSE PITCH"
do for [i = 0:3] {
	set title word(titles, i + 1)
	plot for [p = 0:3] data index i using 1:(column(2 + 2 * p)) with linespoints lc p + 1 \
		dt 1 title word(protos, p + 1) . " 1", \
	     for [p = 0:3] data index i using 1:(column(3 + 2 * p)) with linespoints lc p + 1 \
		dt 2 title word(protos, p + 1) . " 65 536"
}
unset multiplot
