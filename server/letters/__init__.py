"""Letters to families: the outbox that delivers every e-mail, agenda letters and the
calendar file of the next meeting."""
