#!/bin/sh
# alternate stdout and stderr lines, with pauses so their order is known
echo out-1
sleep 0.5
echo err-1 >&2
sleep 0.5
echo out-2
sleep 0.5
echo err-2 >&2
