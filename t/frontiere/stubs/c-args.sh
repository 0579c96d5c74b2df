#!/bin/sh
# print the argument count, then each argument between brackets
printf 'argc=%s\n' "$#"
for a in "$@"; do printf '[%s]\n' "$a"; done
