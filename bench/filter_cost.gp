# Plot of bench/out/filter_cost.tsv (written by filter_cost --tsv); run by 'make bench-filter':
#   gnuplot -e "data='bench/out/filter_cost.tsv'; out='bench/out/filter_cost.png'" bench/filter_cost.gp
# Data block i = path * 2 + matched (path 0 first, 1 duplicate); columns: messages per frame,
# feedsieve_xdp with 1, 100, 10 000, 65 536 subscribed symbols, the empty and the parse floor.
set terminal pngcairo size 1100,800 font "sans,9"
set output out
set multiplot layout 2,2 title "feedsieve\\_xdp, ns per frame (BPF\\_PROG\\_TEST\\_RUN, medians)"
set logscale xy 2
set xtics (1, 4, 16, 64)
set xrange [0.8:80]
set yrange [4:4096]
set xlabel "ITCH messages per frame"
set ylabel "ns per frame"
set key top left font ",9"
set grid
titles = "first/not-matched first/matched duplicate/not-matched duplicate/matched"
do for [i = 0:3] {
	set title word(titles, i + 1)
	plot data index i using 1:2 with linespoints title "1 symbol", \
	     '' index i using 1:3 with linespoints title "100", \
	     '' index i using 1:4 with linespoints title "10 000", \
	     '' index i using 1:5 with linespoints title "65 536", \
	     '' index i using 1:7 with linespoints dt 2 title "floor: parse", \
	     '' index i using 1:6 with linespoints dt 3 title "floor: empty"
}
unset multiplot
