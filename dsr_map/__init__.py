"""DSR Map: an open, sourced map of China's Digital Silk Road technology exports.

Data flows one way: load -> validate -> join -> filter -> render / export.
"""

from .errors import DataValidationError, Problem
from .load import Dataset, read_dataset, resolve_data_dir

__version__ = "0.1.0"
__all__ = ["DataValidationError", "Dataset", "Problem", "read_dataset", "resolve_data_dir", "__version__"]
