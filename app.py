"""DSR Map - placeholder page; the map app is built over dsr_map in app issue."""
import streamlit as st

from dsr_map.load import read_dataset

st.set_page_config(page_title="DSR Map", layout="wide")
dataset, problems = read_dataset()
st.title("DSR Map")
st.metric("Projects", len(dataset.projects))
