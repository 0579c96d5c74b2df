#!/bin/sh
# a CR before the LF and one in the middle of a line
printf 'crlf\r\nmid\rdle\n'
