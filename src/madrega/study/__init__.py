"""The Torah-study engine: the library, its documents, the reader, importers, the linker and search."""
