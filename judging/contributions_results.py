"""The organisers' results page as a console page of its own, after "Judging"."""

from events.extensions import ConsolePage, console_pages

console_pages.register("judging_results", ConsolePage("Results", "judging_results"), order=55)
