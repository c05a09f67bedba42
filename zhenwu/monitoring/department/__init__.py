"""部门数据: the templates of the nine departments and the parsing of their rows."""
