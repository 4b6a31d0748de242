"""The certification exam: question banks and the course evaluation (`load`), and the data
its page hands the runtime (`page`)."""
