"""Coordination between enforcement and other organs (协调衔接, COL): the transfer of cases suspected
to be crimes to the public-security organ (两法衔接)."""
