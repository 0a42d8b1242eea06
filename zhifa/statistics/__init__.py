"""Annual enforcement statistics (行政执法统计年报, PUB-4): generated from the data per agency,
published by 31 January, rolled up per region by the end of February."""
