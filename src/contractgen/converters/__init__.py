"""Converters: programs outside Python that turn one of our outputs into another format
(LibreOffice: DOCX to PDF). Writers call them; they know nothing of the document model."""
