#!/bin/sh
# our pid and our process group id
echo "pid=$$"
echo "pgid=$(ps -o pgid= -p $$ | tr -d " ")"
