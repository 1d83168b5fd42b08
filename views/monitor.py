"""Monitor prestatieafspraken: indicator changes, flags for bijsturen, the city view."""

from wijkprofielen.ui import monitor

monitor.render()
