"""Exchange with upper-level platforms (数据汇聚与交换, DATA-1): push through the outbox, receive from below."""
