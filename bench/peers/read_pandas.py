#!/usr/bin/python3
"""Peer for issue 8's reader budget: pandas.read_excel with openpyxl.

Reads the whole first sheet of the workbook named on the command line into a
DataFrame and prints its row and column counts, so that the benchmark can
check it read everything. Run with Debian's /usr/bin/python3 (python3-pandas,
python3-openpyxl).
"""
import sys

import pandas as pd

df = pd.read_excel(sys.argv[1], engine="openpyxl")
print(f"{len(df)} rows {len(df.columns)} columns")
