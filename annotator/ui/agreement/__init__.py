"""Review › Agreement: the agreement report on screen, with its charts."""
