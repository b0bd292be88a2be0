"""`scodata report`: one self-contained HTML page about a build.
"""
