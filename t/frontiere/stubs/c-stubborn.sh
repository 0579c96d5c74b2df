#!/bin/sh
# ignore SIGTERM, then sleep $1 seconds (a recognisable sleep)
trap "" TERM
echo stubborn
sleep "$1"
echo survived
