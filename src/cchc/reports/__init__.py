"""Reports: Vietnamese documents, spreadsheets and charts built from the engines' results."""
