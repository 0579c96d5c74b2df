#!/bin/sh
# endless stderr
exec yes err >&2
