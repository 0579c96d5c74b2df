#!/bin/sh
# copy stdin to stdout
cat
