from backlint.cli import console_main

console_main()
