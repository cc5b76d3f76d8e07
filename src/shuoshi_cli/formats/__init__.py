"""What goes to and from people's screens and files: terminal, JSON, Excel, letters, import."""
