"""Every write of supervision: filing and importing complaints, their workflow, the gov.cn exchange."""
