"""One router per concept; each serves its pages and the JSON API behind them."""
