"""What an administrator runs to produce the exports hatoolkit reads (shipped as package data)."""
