#!/bin/sh
# bytes that are not UTF-8, then a normal line
printf '\377\376\n'
echo after
