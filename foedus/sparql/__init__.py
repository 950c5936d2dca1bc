"""SPARQL pieces both the server and the saved queries use: result formats, their writers, the one lexer.

Neither foedus.server nor foedus.queries is imported from here, so both can depend on it without a cycle.
"""
