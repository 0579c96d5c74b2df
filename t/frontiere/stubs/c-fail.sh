#!/bin/sh
# a message on stderr, then exit 1
echo "error: something failed" >&2
exit 1
