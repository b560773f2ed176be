from specialist_tui.cli import main

raise SystemExit(main())
