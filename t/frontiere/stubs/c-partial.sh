#!/bin/sh
# a last line without its newline
printf 'first\nno newline at end'
