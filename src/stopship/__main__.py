from stopship.cli import main

main()
