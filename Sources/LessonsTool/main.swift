import LessonsCLI

LessonsCommand.start()
