#!/bin/sh
# one line of $1 x characters
head -c "$1" /dev/zero | tr '\0' x
echo
