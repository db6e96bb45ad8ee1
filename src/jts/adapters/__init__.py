"""Infrastructure: implementations of the ports declared by contexts, runtime and messages."""
