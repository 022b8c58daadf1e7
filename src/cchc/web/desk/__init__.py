"""The one-stop desk (bộ phận một cửa): dossiers, public look-up and rating, the 766 dashboard."""
