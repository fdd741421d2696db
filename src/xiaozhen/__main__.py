from xiaozhen.cli import main

main()
