#!/usr/bin/env python
"""Django's command-line utility; the same as the `zhifa` console command."""

from zhifa.__main__ import main

if __name__ == "__main__":
    main()
