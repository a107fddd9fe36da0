"""kanta-consent: Kanta information, disclosure permissions and prohibitions."""

__version__ = "0.1.0"
