#!/bin/sh
# start 5 background sleeps of $1 seconds (recognisable), then wait
for i in 1 2 3 4 5; do sleep "$1" & done
echo forked
wait
