"""The local vision reader: image in, caption out (the "computer vision" direction)."""
