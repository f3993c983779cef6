#!/usr/bin/env python
from kechuang.__main__ import main

if __name__ == "__main__":
    main()
