from simpul.cli import main

main()
