#!/usr/bin/env python
from simpul.cli import main

if __name__ == "__main__":
    main()
