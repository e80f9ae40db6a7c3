"""The licence of the project's content and data, and the attribution every output carries."""

OGL = "Open Government Licence v3.0"
ATTRIBUTION = (
    f"Contains public sector information licensed under the {OGL}. "
    "Source: Office for National Statistics; Department for Education; OHID Fingertips."
)
