#!/bin/sh
# kill ourselves with the signal named in $1
echo "before $1"
kill -"$1" $$
echo "still alive"
